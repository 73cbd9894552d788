"""The nbgitpuller link that gives each student their own copy of the course.

    python classroom/nbgitpuller_link.py https://hub.example.org https://github.com/ORG/REPO --branch main

Opening the link signs the student in, clones the repository into their home folder (first time) or
merges the new commits into their copy (every later time: files the student changed keep the
student's version, files they deleted come back), then opens the notebook in JupyterLab.
"""

from __future__ import annotations

import argparse
from urllib.parse import urlencode

DEFAULT_NOTEBOOK = "notebooks/00_introduction.ipynb"


def link(
    hub_url: str, repo: str, branch: str, folder: str = "imagelib-course", notebook: str = DEFAULT_NOTEBOOK
) -> str:
    """The link for ``repo``'s ``branch``, cloned into ``~/folder``, opening ``notebook``."""
    query = urlencode(
        {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/{notebook}"}
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("hub_url")
    parser.add_argument("repo")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--folder", default="imagelib-course")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK)
    args = parser.parse_args()
    print(link(args.hub_url, args.repo, args.branch, args.folder, args.notebook))


if __name__ == "__main__":
    main()
