import pytest
from hostile_archives import file, raw_tar

import imagelib as il


def stack(*layers):
    image = il.Image.scratch()
    for layer in layers:
        image = image.add_layer(layer)
    return image.rootfs()


def L(files=None, **kwargs):
    return il.Layer.from_files(files or {}, **kwargs)


def test_upper_file_overrides_lower_and_entry_names_its_layer():
    tree = stack(L({"etc/os": "base\n", "app/a": "1"}), L({"app/a": "2"}))
    assert tree.read_text("app/a") == "2"
    assert tree.entry("app/a").layer_index == 1
    assert tree.entry("etc/os").layer_index == 0


def test_whiteout_hides_lower_path_and_its_subtree():
    tree = stack(L({"a/x": "1", "a/y/z": "2", "b": "3"}), L(deleted=["a/y", "b"]))
    assert tree.exists("a/x") and not tree.exists("a/y") and not tree.exists("a/y/z")
    assert not tree.exists("b")
    assert tree.listdir("a") == ["x"]


def test_opaque_directory_hides_lower_contents_but_keeps_its_own():
    tree = stack(L({"cache/old1": "1", "cache/old2": "2"}), L({"cache/new": "3"}, opaque=["cache"]))
    assert tree.listdir("cache") == ["new"]


def test_order_within_a_layer_opaque_then_whiteouts_then_entries():
    # A whiteout only hides lower layers: the same layer's own new file stays visible.
    tree = stack(L({"d/a": "lower"}), L({"d/a2": "new"}, opaque=["d"], deleted=["d/a"]))
    assert tree.listdir("d") == ["a2"]


def test_file_replacing_directory_hides_subtree_and_dir_over_dir_merges():
    tree = stack(L({"x/inner": "1", "m/low": "1"}), L({"x": "now a file", "m/high": "2"}))
    assert tree.entry("x").kind == "file" and not tree.exists("x/inner")
    assert tree.listdir("m") == ["high", "low"]
    assert tree.entry("m").layer_index == 1  # metadata from the upper directory entry


def test_directory_replacing_file():
    tree = stack(L({"p": "file"}), L({"p/child": "x"}))
    assert tree.entry("p").kind == "dir" and tree.read_text("p/child") == "x"


def test_symlinks_are_followed_for_reading_and_stay_inside_root():
    tree = stack(
        L(
            {
                "usr/bin/tool": "T",
                "bin": il.Symlink("usr/bin"),
                "abs": il.Symlink("/usr/bin/tool"),
                "up": il.Symlink("../../../usr/bin/tool"),
                "loop": il.Symlink("loop"),
            }
        )
    )
    assert tree.read_text("bin/tool") == "T"
    assert tree.read_text("abs") == "T"
    assert tree.read_text("up") == "T"  # '..' stops at the root like in a container
    assert tree.entry("bin").kind == "symlink" and tree.exists("bin/tool")
    with pytest.raises(il.PathNotFoundError):
        tree.read_text("loop")


def test_hardlink_shares_content_even_after_target_is_deleted():
    tree = stack(L({"data": "shared", "link": il.Hardlink("data")}), L(deleted=["data"]))
    assert not tree.exists("data") and tree.read_text("link") == "shared"


def test_missing_paths_give_korean_errors():
    tree = stack(L({"a": "1"}))
    with pytest.raises(il.PathNotFoundError) as info:
        tree.read_text("nope")
    assert "nope" in str(info.value)
    with pytest.raises(il.ImageLibError):
        tree.listdir("a")


def test_walk_listdir_and_size():
    tree = stack(L({"b/2": "22", "a/1": "1"}))
    assert [node.path for node in tree.walk()] == ["a", "a/1", "b", "b/2"]
    assert tree.listdir("/") == ["a", "b"]
    assert tree.size == 3 and len(tree) == 4


def test_diff_reports_added_modified_deleted():
    before = stack(L({"keep": "1", "change": "old", "gone": "x"}))
    after = stack(L({"keep": "1", "change": "old", "gone": "x"}), L({"change": "new", "added": "y"}, deleted=["gone"]))
    diff = before.diff(after)
    assert diff.added == ("added",)
    assert diff.modified == ("change",)
    assert diff.deleted == ("gone",)
    assert not before.diff(before)


def test_mode_change_counts_as_modified():
    before = stack(L({"f": "x"}))
    after = stack(L({"f": "x"}), L({"f": il.File("x", mode=0o755)}))
    assert before.diff(after).modified == ("f",)


def test_file_tree_is_read_only_and_renders_text():
    tree = stack(L({"app/hello.txt": "hi"}))
    with pytest.raises(il.ReadOnlyError):
        tree.write("x", "y")
    text = tree.render()
    assert "hello.txt" in text and "[L0]" in text
    assert "파일 트리" in tree._repr_html_()


def test_entries_below_a_symlinked_folder_land_in_its_target_like_tar_extraction():
    lower = L({"etc/hosts": "h", "config": il.Symlink("/etc")})
    upper = il.Layer.from_tar(raw_tar(file("config/app.conf", b"A"), file("config/.wh.hosts", b"")))
    tree = stack(lower, upper)
    assert tree.entry("config").kind == "symlink"
    assert tree.entry("etc/app.conf").layer_index == 1
    assert not tree.exists("etc/hosts")  # the whiteout went through the link too
