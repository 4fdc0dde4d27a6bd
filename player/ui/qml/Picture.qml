// A picture from the asset cache, decoded at the size it is shown (a Pi has little memory).
import QtQuick

Image {
    id: picture

    property string url: ""
    property string fit: "fill"

    // Loading waits for the final size, so a large photo is decoded once, already scaled.
    source: width > 0 && height > 0 ? url : ""
    sourceSize: Qt.size(Math.ceil(width), Math.ceil(height))
    asynchronous: true
    cache: false
    smooth: true
    clip: true
    fillMode: fit === "fit" ? Image.PreserveAspectFit : Image.PreserveAspectCrop
}
