"""nbgrader's settings for the course. Run the teacher's ``nbgrader`` commands from this folder.

One assignment per lesson: ``source/<NN_slug>/<NN_slug>.ipynb`` (README: 선생님을 위한 안내).
"""

import os

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import NbGraderPreprocessor


class DropSolutionsOnlyCells(NbGraderPreprocessor):
    """Leave out of the release the cells tagged ``solutions-only`` (the worked solutions' title and
    explanations of answers): the students' copy must not hold them."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if "solutions-only" not in cell.metadata.get("tags", [])]
        return nb, resources


c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
# One id for the teacher's commands and every student's server (classroom/ sets CLASSROOM_COURSE_ID
# for a class that needs another one).
c.CourseDirectory.course_id = os.environ.get("CLASSROOM_COURSE_ID", "imagelib-course")
# The student's copy keeps the placeholders written before each answer (``name = ...``), so a
# cleared answer leaves nothing behind instead of nbgrader's ``raise NotImplementedError()``.
c.ClearSolutions.code_stub = {"python": ""}
c.GenerateAssignment.preprocessors = [
    DropSolutionsOnlyCells,
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]
# A lesson's cells take a few seconds each; a slow shared machine gets room.
c.Execute.timeout = 300
