"""Property tests: the union view against a plain model, and commit against the container's view."""

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


OPERATIONS = st.lists(st.tuples(st.sampled_from(["write", "mkdir", "delete", "chmod"]), PATHS, CONTENT),
                      max_size=12)


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
