"""Create or remove the class's Linux accounts (run as root on the hub's server).

    python classroom/accounts.py add teacher student01 student02 ...   # prints "name password" lines
    python classroom/accounts.py remove student01 ...                 # deletes the account and its home

Each account gets a home folder (its JupyterLab files), membership of the class group (who may sign
in to the hub) and a random password for the teacher to hand out; the student signs in with it.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import subprocess

GROUP = os.environ.get("CLASSROOM_GROUP", "jupyter-class")


def add(names: "list[str]", group: str = GROUP) -> "dict[str, str]":
    """Create each account (home folder, class group, a new password); return name → password."""
    subprocess.run(["groupadd", "-f", group], check=True)
    passwords = {}
    for name in names:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name], check=True)
        # Debian's useradd leaves homes readable by every account: a student's work is theirs only.
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
        passwords[name] = secrets.token_urlsafe(12)
    lines = "".join(f"{name}:{password}\n" for name, password in passwords.items())
    subprocess.run(["chpasswd"], input=lines.encode(), check=True)
    return passwords


def remove(names: "list[str]") -> None:
    """Delete each account with its home folder (accounts that no longer exist are skipped)."""
    for name in names:
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["add", "remove"])
    parser.add_argument("names", nargs="+")
    parser.add_argument("--group", default=GROUP)
    args = parser.parse_args()
    if args.action == "add":
        for name, password in add(args.names, args.group).items():
            print(name, password)
    else:
        remove(args.names)


if __name__ == "__main__":
    main()
