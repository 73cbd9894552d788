"""The Node.js 22 images in the catalog: configs, files, package records and names as the sources say.

Real-engine comparisons are not possible here (no pulls): the expected values below are the ones
the sources name (official Dockerfiles, distroless BUILD files, repo-info records), see
``imagelib/catalog/node22.py``.
"""

import pytest

import imagelib as il
from imagelib import catalog

DISTROLESS = "gcr.io/distroless/nodejs22-debian12"


def packages(name):
    return il.sbom(catalog.get(name)).packages


def test_official_node22_images_run_node_through_the_entrypoint_script():
    for name in ("node:22", "node:22-slim", "node:22-alpine"):
        config = catalog.get(name).config
        assert config.entrypoint == ("docker-entrypoint.sh",) and config.cmd == ("node",)
        assert config.env_dict["NODE_VERSION"] == "22.13.0" and config.env_dict["YARN_VERSION"] == "1.22.22"
        assert config.user == ""  # root by default; the image only creates the user node (1000)
        files = catalog.get(name).rootfs()
        assert "node:x:1000:1000" in files.read_text("etc/passwd")
        assert files.exists("bin/sh") and files.exists("usr/local/bin/npm")


def test_distroless_has_no_shell_and_starts_node_itself():
    root, nonroot = catalog.get(DISTROLESS), catalog.get(DISTROLESS + ":nonroot")
    assert root.config.entrypoint == nonroot.config.entrypoint == ("/nodejs/bin/node",)
    assert root.config.cmd is None
    assert (root.config.user, root.config.workdir) == ("0", "/")
    assert (nonroot.config.user, nonroot.config.workdir) == ("65532", "/home/nonroot")
    assert nonroot.config.env_dict["SSL_CERT_FILE"] == "/etc/ssl/certs/ca-certificates.crt"
    assert root.layers == nonroot.layers and root.digest != nonroot.digest  # the tags differ in the config only
    files = root.rootfs()
    assert not files.exists("bin/sh") and not files.exists("usr/bin/dpkg") and not files.exists("sbin/apk")
    assert files.exists("nodejs/bin/node") and not files.exists("nodejs/bin/npm")
    assert "nonroot:x:65532:65532" in files.read_text("etc/passwd")
    assert files.entry("home/nonroot").entry.uid == 65532


def test_run_in_distroless_fails_for_want_of_a_shell():
    with pytest.raises(il.BuildError, match="/bin/sh"):
        il.build(f"FROM {DISTROLESS}\nRUN echo hi\n", context={})


def test_sbom_counts_follow_the_sources():
    distroless = packages(DISTROLESS)
    assert sorted(p.name for p in distroless) == sorted(
        ["base-files", "netbase", "tzdata", "libc6", "libssl3", "libgomp1", "libstdc++6", "libgcc-s1"]
    )
    assert {p.path.rsplit("/", 1)[0] for p in distroless} == {"/var/lib/dpkg/status.d"}
    alpine = packages("node:22-alpine")
    assert sum(p.ecosystem == "apk" for p in alpine) == 17  # repo-info's node:22-alpine3.21 record
    assert {p.name for p in alpine if p.layer_index == 1} >= {"libgcc", "libstdc++"}
    slim = packages("node:22-slim")
    assert sum(p.ecosystem == "deb" for p in slim) == 88 and all(
        p.layer_index == 0 for p in slim if p.ecosystem == "deb"
    )
    full = packages("node:22")
    assert sum(p.ecosystem == "deb" for p in full) > 400
    assert {"gcc", "git", "curl", "imagemagick"} <= {p.name for p in full}
    npm = [p for p in full if p.ecosystem == "npm"]
    assert [(p.name, p.version) for p in npm] == [("npm", "10.9.2")]


def test_sbom_says_which_layer_added_each_package():
    full = catalog.get("node:22")
    by_name = {p.name: p.layer_index for p in il.sbom(full).packages}
    assert by_name["libc6"] == 0 and by_name["curl"] == 1 and by_name["git"] == 2 and by_name["gcc"] == 3
    assert full.layers[0] == catalog.get("debian:12.9").layers[0]
    assert catalog.get("node:22-slim").layers[0] == catalog.get("debian:12.9-slim").layers[0]
    assert catalog.get("node:22-alpine").layers[0] == catalog.get("alpine:3.21").layers[0]


def test_the_new_bases_leave_the_older_entries_alone():
    assert catalog.get("debian:12.9-slim").layers[0] != catalog.get("debian:bookworm-slim").layers[0]
    assert catalog.info("node:jod").name == "node:22" and catalog.info("node:jod-alpine").name == "node:22-alpine"
    assert catalog.info("node:22-alpine3.21") is catalog.info("node:22-alpine")
    assert catalog.get("gcr.io/distroless/nodejs22-debian12:latest") is catalog.get(DISTROLESS)


def test_every_new_entry_names_its_sources():
    for name in ("alpine:3.21", "debian:12.9", "node:22", "node:22-slim", "node:22-alpine", DISTROLESS):
        assert catalog.info(name).sources, name
    assert any("distroless" in s for s in catalog.info(DISTROLESS).sources)
    assert any("docker-node" in s for s in catalog.info("node:22").sources)


def test_sizes_keep_their_order():
    size = {n: il.modeled_size(catalog.get(n)) for n in ("node:22", "node:22-slim", "node:22-alpine", DISTROLESS)}
    assert size["node:22"] > 4 * size["node:22-slim"]
    assert size["node:22-slim"] > size["node:22-alpine"] > size[DISTROLESS] > 100 * 1_000_000
