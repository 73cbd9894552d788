"""nbgrader settings every server of the class reads (JupyterHub puts this folder on JUPYTER_CONFIG_PATH).

Students see the course's assignments in JupyterLab's Assignments tab and fetch and submit there;
the teacher's course folder (source/, release/, submitted/, autograded/, gradebook.db) is ~/course.
"""

import os

c = get_config()  # noqa: F821 (nbgrader's config loader defines get_config)

c.CourseDirectory.course_id = os.environ.get("CLASSROOM_COURSE_ID", "imagelib")
c.CourseDirectory.root = os.path.expanduser("~/course")
c.Exchange.root = os.environ.get("CLASSROOM_EXCHANGE", "/srv/nbgrader/exchange")
