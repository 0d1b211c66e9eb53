"""The one place that decides who may see or change what. Default deny.

Views, the API, the command line and the admin all ask here. ``can_*`` answer yes or no;
``access_*`` fetch an object for a user and raise ``Http404`` both when it does not exist and when the
user may not see it, so a forbidden object cannot be told apart from a missing one.

The rules live in one module per capability (``base`` for roles and organisations); this package
re-exports them all, so callers write ``permissions.can_edit_organisation(...)`` whatever the area.
"""

from matchmaking.permissions.base import *  # noqa: F403
from matchmaking.permissions.base import _active  # noqa: F401
from matchmaking.permissions.mobility import *  # noqa: F403
from matchmaking.permissions.participants import *  # noqa: F403
