"""The app's state in plain Python, with no Qt: the photo queue, what is selected, the batch.

Qt widgets observe these models (as napari's ``_qt`` views watch its models) and call their
methods; workers report into the :class:`Session`, never into a window. So every rule of the
app (what runs next, what a cancel does, which photo the view follows) is tested without Qt.
"""

from restorer.gui.session.events import Event
from restorer.gui.session.queue import CANCELLED, DONE, FAILED, QUEUED, RUNNING, PhotoQueue, QueueItem
from restorer.gui.session.session import Job, Outcome, Session

__all__ = ["CANCELLED", "DONE", "FAILED", "QUEUED", "RUNNING", "Event", "Job", "Outcome", "PhotoQueue",
           "QueueItem", "Session"]
