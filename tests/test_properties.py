"""Property tests: the union view against a plain model, and commit against the container's view."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imagelib as il
from imagelib.entries import is_within, parent_paths

NAMES = st.sampled_from(["a", "b", "c"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)
CONTENT = st.sampled_from(["", "x", "yy", "안녕"])


@st.composite
def layers(draw):
    files = draw(st.dictionaries(PATHS, st.one_of(CONTENT, st.just(il.Dir())), max_size=5))
    deleted = [p for p in draw(st.lists(PATHS, max_size=2, unique=True)) if p not in files]
    opaque = [p for p in draw(st.lists(PATHS, max_size=1)) if p not in files and p not in deleted]
    # a path that is a parent of anything in this layer must be a directory
    parents = {q for p in list(files) + deleted + opaque for q in parent_paths(p)}
    files = {p: (il.Dir() if p in parents else v) for p, v in files.items()}
    deleted = [p for p in deleted if p not in parents]
    return il.Layer.from_files(files, deleted=deleted, opaque=opaque)


def model_union(stack):
    """A plain reading of OCI layer.md: per layer, opaque markers, then whiteouts, then entries."""
    state = {}

    def remove_under(path, keep_self):
        for key in [k for k in state if is_within(k, path) and not (keep_self and k == path)]:
            del state[key]

    for layer in stack:
        for entry in layer.entries:
            if entry.kind == "opaque":
                remove_under(entry.path, keep_self=True)
        for entry in layer.entries:
            if entry.kind == "whiteout":
                remove_under(entry.path, keep_self=False)
        for entry in layer.entries:
            if entry.kind in ("whiteout", "opaque"):
                continue
            old = state.get(entry.path)
            if old is not None and not (old[0] == "dir" and entry.kind == "dir"):
                remove_under(entry.path, keep_self=False)
            state[entry.path] = ("dir", None) if entry.kind == "dir" else ("file", entry.read())
    return state


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(layers(), min_size=1, max_size=4))
def test_union_view_matches_the_model(stack):
    tree = il.FileTree.from_layers(stack)
    seen = {path: (kind, payload) for path, (kind, _mode, payload) in tree.snapshot().items()}
    assert seen == model_union(stack)


OPERATIONS = st.lists(st.tuples(st.sampled_from(["write", "mkdir", "delete", "chmod"]), PATHS, CONTENT), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(layers(), min_size=1, max_size=2), OPERATIONS)
def test_commit_rootfs_equals_container_view(stack, operations):
    image = il.Image.scratch()
    for layer in stack:
        image = image.add_layer(layer)
    box = il.Container(image)
    for operation, path, data in operations:
        try:
            if operation == "write":
                box.write(path, data)
            elif operation == "mkdir":
                box.mkdir(path)
            elif operation == "delete":
                box.delete(path)
            else:
                box.chmod(path, 0o700)
        except il.ImageLibError:
            pass  # e.g. writing text over a directory: refused, nothing changes
    assert box.commit().rootfs().snapshot() == box.rootfs().snapshot()
    assert image.rootfs().snapshot() == il.FileTree.from_layers(stack).snapshot()


# -- symlinked folders: the fast placement against a straightforward walk -----------------------

TARGETS = st.sampled_from(["a", "b", "a/b", "../a", "/b", "/", ".", "c/..", "missing", "b/../c"])
NODE_SPECS = st.one_of(
    st.tuples(st.just("file"), CONTENT), st.tuples(st.just("dir"), st.just("")), st.tuples(st.just("symlink"), TARGETS)
)


@st.composite
def raw_layers(draw):
    """A layer as a tar written by hand: no parent folders added, so entries may go through
    a lower layer's symlink, and whiteouts and opaque markers sit among them."""
    specs = draw(st.dictionaries(PATHS, NODE_SPECS, max_size=6))
    parents = {q for p in specs for q in parent_paths(p)}
    specs = {p: (("dir", "") if p in parents else spec) for p, spec in specs.items()}
    deleted = [p for p in draw(st.lists(PATHS, max_size=2, unique=True)) if p not in specs and p not in parents]
    opaque = [p for p in draw(st.lists(PATHS, max_size=1)) if p not in specs and p not in deleted]
    members = [(p, kind, payload) for p, (kind, payload) in specs.items()]
    members += [(_whiteout_name(p, ".wh." + p.rpartition("/")[2]), "marker", "") for p in deleted]
    members += [(_whiteout_name(p, ".wh..wh..opq"), "marker", "") for p in opaque]
    return il.Layer.from_tar(_tar(draw(st.permutations(members))))


def _whiteout_name(path, name):
    head = path.rpartition("/")[0] if name != ".wh..wh..opq" else path
    return f"{head}/{name}" if head else name


def _tar(members):
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, kind, payload in members:
            info = tarfile.TarInfo(path)
            data = payload.encode() if kind == "file" else b""
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, payload
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Refused(Exception):
    """The reference refuses the layer (so must imagelib)."""


def reference_union(stack):
    """The union view computed the slow, obvious way, as umoci and containerd extract a layer
    (OCI layer.md order): every entry's parent folder is walked through symlinks from the root,
    names that do not exist are taken as they are, a symlink climbing above the root or looping
    and an entry below a file are refused. An opaque marker's folder is followed, being the
    parent of ``.wh..wh..opq``."""
    nodes = {}  # path -> (kind, layer index, mode, payload)

    def resolve(path, follow_last):
        pending, resolved, hops = [p for p in path.split("/") if p], [], 0
        while pending:
            name = pending.pop(0)
            if name == ".":
                continue
            if name == "..":
                if not resolved:
                    raise Refused(path)
                resolved = resolved[:-1]
                continue
            candidate = "/".join(resolved + [name])
            node = nodes.get(candidate)
            if node is not None and node[0] == "symlink" and (pending or follow_last):
                hops += 1
                if hops > 40:
                    raise Refused(path)
                resolved = [] if node[3].startswith("/") else resolved
                pending = [p for p in node[3].split("/") if p] + pending
                continue
            resolved.append(name)
        return "/".join(resolved)

    def placed(path):
        parent, _, name = path.rpartition("/")
        return f"{resolve(parent, True)}/{name}".lstrip("/") if parent else path

    def remove(path):
        for key in [k for k in nodes if is_within(k, path)]:
            del nodes[key]

    def put(path, value):
        for parent in parent_paths(path):
            kind = nodes.get(parent, ("",))[0]
            if kind not in ("", "dir"):
                raise Refused(path)
            nodes[parent] = nodes.get(parent) or ("dir", value[1], 0o755, None)
        old = nodes.get(path)
        if old is not None and not (old[0] == "dir" and value[0] == "dir"):
            remove(path)
        nodes[path] = value

    for index, layer in enumerate(stack):
        for entry in layer.entries:
            if entry.kind == "opaque":
                real = resolve(entry.path, True)
                for key in [k for k in nodes if is_within(k, real) and k != real]:
                    del nodes[key]
        for entry in layer.entries:
            if entry.kind == "whiteout":
                remove(placed(entry.path))
        for entry in layer.entries:
            if entry.kind not in ("whiteout", "opaque"):
                payload = entry.read() if entry.kind == "file" else getattr(entry, "target", None)
                put(placed(entry.path), (entry.kind, index, entry.mode, payload))
    return nodes


@st.composite
def symlinked_bases(draw):
    """A bottom layer with folders and symlinks among them, so later entries often go through one."""
    members = [("b", "dir", ""), ("c", "dir", ""), ("b/a", "dir", ""), ("c/b", "dir", "")]
    members += [(path, "symlink", draw(TARGETS)) for path in ("a", "b/b", "c/a")]
    return il.Layer.from_tar(_tar(members))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symlinked_bases(), st.lists(raw_layers(), min_size=1, max_size=4))
def test_union_view_matches_a_plain_walk_through_symlinks(base, layers):
    stack = [base] + layers
    try:
        expected = reference_union(stack)
    except Refused:
        with pytest.raises(il.ImageLibError):
            il.FileTree.from_layers(stack)
        return
    tree = il.FileTree.from_layers(stack)
    seen = {
        node.path: (node.kind, node.layer_index, node.mode, node.read_bytes() if node.kind == "file" else node.target)
        for node in tree.walk()
    }
    assert seen == expected
    for path, (kind, *_rest) in expected.items():
        if kind == "dir":
            children = sorted(p.rpartition("/")[2] for p in expected if p.rpartition("/")[0] == path)
            assert tree._tree.children[path] == set(children)
    assert tree._tree.children[""] == {p for p in expected if "/" not in p}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_layers(), min_size=1, max_size=4))
def test_analyze_layer_sizes_are_the_layers_file_sizes(stack):
    image = il.Image.scratch()
    for layer in stack:
        image = image.add_layer(layer)
    try:
        image.rootfs()
    except il.ImageLibError:  # a layer Docker, containerd and umoci refuse: analyze refuses it too
        with pytest.raises(il.ImageLibError):
            il.analyze(image)
        return
    assert [report.size for report in il.analyze(image).layers] == [layer.files_size for layer in stack]
