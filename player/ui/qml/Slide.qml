// What every slide offers its layer: the view it shows, and whether it is fit to be seen.
import QtQuick

Rectangle {
    required property var view
    required property Theme theme
    // How long the cross-fade lasts; a clip announces its end this much ahead.
    property int fadeMs: 0

    // Everything is decoded and laid out: the slide may fade in.
    property bool ready: true
    // The slide cannot be shown (its picture or clip is missing or does not decode).
    property bool failed: false
    // Set by the layer when the slide starts to fade in: from then on it may move.
    property bool running: false
    // The slide has shown all it has (a clip reached its end): the next may fade in.
    property bool ending: false

    color: theme.background
}
