// One of the two stacked layers: loads a slide out of sight and says when it is fit to be seen.
import QtQuick

Item {
    id: slideLayer

    required property Theme theme
    property int fadeMs: 0
    property var view: null
    property bool settled: true
    // The slide loaded and can be shown (false while loading, and when it is broken).
    property bool fit: false
    // Fade the slide in as soon as it is fit; false while it is only being prepared.
    property bool revealing: false

    // The slide is fully decoded and laid out; fading it in now shows no gap.
    signal loaded()
    // The slide cannot be shown (its picture or clip is missing or does not decode).
    signal broken(string url)
    // The slide has shown all it has (a clip reached its end).
    signal ended(string itemId)

    function show(slideView, reveal) {
        settled = false;
        fit = false;
        revealing = reveal;
        view = slideView;
        loader.setSource(Qt.resolvedUrl(componentFor(slideView.kind)),
                         { view: slideView, theme: slideLayer.theme, fadeMs: slideLayer.fadeMs });
        settle();
    }

    function clear() {
        settled = true;
        fit = false;
        revealing = false;
        view = null;
        loader.source = "";
    }

    // Whether this layer holds (or is loading) exactly `slideView`, and it is not broken.
    function holds(slideView) {
        return view !== null && (fit || !settled)
            && JSON.stringify(view) === JSON.stringify(slideView);
    }

    // The slide is being seen from now on: a clip starts playing.
    function start() {
        setRunning(true);
    }

    // A clip plays while its slide is running, and holds still while it is not.
    function setRunning(running) {
        if (loader.item !== null)
            loader.item.running = running;
    }

    function reportEnding() {
        if (loader.item !== null && loader.item.ending)
            ended(view.itemId);
    }

    function componentFor(kind) {
        switch (kind) {
        case "image": return "ImageSlide.qml";
        case "video": return "VideoSlide.qml";
        case "text": return "TextSlide.qml";
        case "event": return "EventSlide.qml";
        case "pairing": return "PairingCard.qml";
        default: return "IdleCard.qml";
        }
    }

    function settle() {
        // Not `loader.item as Slide`: Qt 6.8 answers null to that cast in a second window.
        const slide = loader.item;
        if (settled || slide === null)
            return;
        if (slide.failed) {
            settled = true;
            broken(view.kind === "video" ? view.videoUrl : view.imageUrl);
        } else if (slide.ready) {
            settled = true;
            fit = true;
            loaded();
        }
    }

    Loader {
        id: loader
        anchors.fill: parent
    }

    Connections {
        target: loader.item
        ignoreUnknownSignals: true

        function onReadyChanged() { slideLayer.settle(); }
        function onFailedChanged() { slideLayer.settle(); }
        function onEndingChanged() { slideLayer.reportEnding(); }
    }
}
