// What every slide offers its layer: the view it shows, and whether it is fit to be seen.
import QtQuick

Rectangle {
    required property var view
    required property Theme theme

    // Everything is decoded and laid out: the slide may fade in.
    property bool ready: true
    // The slide cannot be shown (its picture is missing or does not decode).
    property bool failed: false

    color: theme.background
}
