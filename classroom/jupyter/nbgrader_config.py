"""nbgrader settings every server of the class reads (JupyterHub puts this folder on JUPYTER_CONFIG_PATH).

The course's own settings (course/nbgrader_config.py: its id, leaving the worked solutions'
explanations out of a release, the learner's placeholders instead of nbgrader's stub) are loaded
first, so Formgrader and the teacher's ``nbgrader`` commands in any folder release the lessons the
way the teacher's section of README says. Here: where the teacher's course folder is (~/course:
source/, release/, submitted/, autograded/, gradebook.db) and the exchange every server shares.
Students see the course's assignments in JupyterLab's Assignments tab and fetch and submit there.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader's config loader defines get_config)
load_subconfig(str(Path(__file__).resolve().parents[2] / "course" / "nbgrader_config.py"))  # noqa: F821 (the loader defines it too)

c.CourseDirectory.root = os.path.expanduser("~/course")
c.Exchange.root = os.environ.get("CLASSROOM_EXCHANGE", "/srv/nbgrader/exchange")
