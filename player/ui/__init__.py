"""The player's Qt Quick face: the window, its QML scenes, and the timers and thread behind it."""
