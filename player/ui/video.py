"""Qt Multimedia for the player's scene: the log rules it starts with and the QML types it needs.

Video normally reaches the screen through QML's `VideoOutput`, whose frames stay
on the GPU; under Qt Quick's software renderer the scene paints them with
`player.ui.video_frames.VideoFrames` instead.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QLoggingCategory
from PySide6.QtQml import qmlRegisterType

QML_MODULE = "Anslag.Player"

# Qt Multimedia probes optional libraries (PipeWire) the moment it loads and warns when one
# is absent; a screen that plays silent clips needs none of them. Only that named category
# is quietened; QT_LOGGING_RULES in the environment still wins, for debugging on a device.
LOG_RULES = "qt.multimedia.symbolsresolver.warning=false"


@functools.cache
def prepare_multimedia() -> None:
    """Set the log rules, then load Qt Multimedia and register the scene's types; once."""
    QLoggingCategory.setFilterRules(LOG_RULES)
    # Imported only now, after the rules: loading Qt Multimedia is what prints the warnings.
    from player.ui.video_frames import VideoFrames

    # PySide's stub types the name as bytes, but at run time only a str is accepted.
    qmlRegisterType(VideoFrames, QML_MODULE, 1, 0, "VideoFrames")  # type: ignore[call-overload]
