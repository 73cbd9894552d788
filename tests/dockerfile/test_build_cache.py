"""Build cache: keys like BuildKit's (parent + instruction + content of copied files)."""

import pytest

import imagelib as il
from imagelib import course_examples as examples

POOR_ORDER = """FROM node:14 AS build
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
"""


def statuses(result):
    return [(s.text, s.status) for s in result.steps]


@pytest.fixture()
def cache():
    return il.BuildCache()


def test_second_build_hits_every_layer_step(cache):
    first = il.build(examples.NOTE_DOCKERFILE, examples.web_app(), cache=cache)
    second = il.build(examples.NOTE_DOCKERFILE, examples.web_app(), cache=cache)
    assert first.cache_hits == 0 and first.cache_misses == 6
    assert second.cache_hits == 6 and second.cache_misses == 0
    assert second.image.digest == first.image.digest
    assert all(s.status == "—" for s in second.steps if s.layer is None)


def test_changing_a_source_file_reruns_from_the_first_copy_that_includes_it(cache):
    il.build(examples.NOTE_DOCKERFILE, examples.web_app(), cache=cache)
    changed = il.build(
        examples.NOTE_DOCKERFILE, examples.web_app(**{"src/greet.js": "export const greet = n => n;\n"}), cache=cache
    )
    assert statuses(changed) == [
        ("FROM node:14 AS build", "—"),
        ("WORKDIR /app", "CACHED"),
        ("COPY package*.json ./", "CACHED"),
        ("RUN npm install", "CACHED"),
        ("COPY . .", "실행"),
        ("RUN npm run build", "실행"),
        ("FROM nginx:alpine", "—"),
        ("COPY --from=build /app/dist /usr/share/nginx/html", "실행"),
        ("EXPOSE 80", "—"),
        ('CMD ["nginx", "-g", "daemon off;"]', "—"),
    ]


def test_changing_package_json_reruns_npm_install(cache):
    il.build(examples.NOTE_DOCKERFILE, examples.web_app(), cache=cache)
    manifest = examples.web_app()["package.json"].replace(
        '"react": "^18.2.0",', '"react": "^18.2.0", "lodash": "^4.17.21",'
    )
    changed = il.build(examples.NOTE_DOCKERFILE, examples.web_app(**{"package.json": manifest}), cache=cache)
    assert changed.step("COPY package*.json").status == "실행"
    assert changed.step("RUN npm install").status == "실행"
    assert changed.step("WORKDIR").status == "CACHED"


def test_the_notes_ordering_saves_the_npm_install_layer(cache):
    good, poor = il.BuildCache(), il.BuildCache()
    edit = examples.web_app(**{"src/greet.js": "export const greet = n => `hi ${n}`;\n"})
    il.build(examples.NOTE_DOCKERFILE, examples.web_app(), cache=good, target="build")
    il.build(POOR_ORDER, examples.web_app(), cache=poor)
    good_again = il.build(examples.NOTE_DOCKERFILE, edit, cache=good, target="build")
    poor_again = il.build(POOR_ORDER, edit, cache=poor)
    assert good_again.step("RUN npm install").status == "CACHED"
    assert poor_again.step("RUN npm install").status == "실행"
    # what has to be rebuilt (and pushed again) after a one-line edit
    assert good_again.rebuilt_size < 10_000
    assert poor_again.rebuilt_size > 20_000_000


def test_run_key_ignores_files_but_not_env_or_args(cache):
    dockerfile = "FROM alpine\nARG LEVEL=1\nRUN echo $LEVEL > /level\n"
    il.build(dockerfile, {"a": "1"}, cache=cache)
    same = il.build(dockerfile, {"a": "2"}, cache=cache)  # context is not used by RUN
    assert same.step("RUN").status == "CACHED"
    other_arg = il.build(dockerfile, cache=cache, build_args={"LEVEL": "2"})
    assert other_arg.step("RUN").status == "실행"
    other_env = il.build("FROM alpine\nENV X=1\nARG LEVEL=1\nRUN echo $LEVEL > /level\n", cache=cache)
    assert other_env.step("RUN").status == "실행"


def test_label_and_cmd_changes_do_not_invalidate_later_steps(cache):
    il.build("FROM alpine\nLABEL v=1\nRUN touch /x\n", cache=cache)
    again = il.build("FROM alpine\nLABEL v=2\nRUN touch /x\n", cache=cache)
    assert again.step("RUN").status == "CACHED"


def test_without_a_cache_everything_runs():
    first = il.build("FROM alpine\nRUN touch /x\n")
    second = il.build("FROM alpine\nRUN touch /x\n")
    assert first.step("RUN").status == second.step("RUN").status == "실행"
    assert first.image.digest == second.image.digest


def test_cache_object_counts_and_clears(cache):
    il.build("FROM alpine\nRUN touch /x\n", cache=cache)
    il.build("FROM alpine\nRUN touch /x\n", cache=cache)
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)
    cache.clear()
    assert (cache.hits, cache.misses, len(cache)) == (0, 0, 0)
    with pytest.raises(il.BuildError, match="BuildCache"):
        il.build("FROM alpine\n", cache={})
