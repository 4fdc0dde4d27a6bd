// The player's scene: two slide layers that cross-fade, and the footer strip below them.
import QtQuick

Rectangle {
    id: root

    // The Python `player.ui.stage.Stage`.
    required property var stage

    property SlideLayer front: first
    property SlideLayer back: second
    property bool fading: false
    // A slide to prepare once the slide being presented is in (its layer is still needed).
    property var pendingPrepare: null

    color: screenTheme.background

    // Show this slide now: at once if it was prepared, else as soon as it has loaded.
    function present(slideView) {
        pendingPrepare = null;
        if (fading)
            finishFade();
        if (back.holds(slideView)) {
            back.revealing = true;
            if (back.fit)
                startFade();
        } else {
            back.show(slideView, true);
        }
    }

    // Load the slide that comes next out of sight, so that it is ready when its turn comes;
    // after the slide presented last is in, whose layer it would otherwise take.
    function prepare(slideView) {
        if (fading || back.revealing)
            pendingPrepare = slideView;
        else
            back.show(slideView, false);
    }

    // The new slide fades in over the old one, which stays fully opaque underneath:
    // every frame of the transition is a blend of two finished slides, never of navy or black.
    function startFade() {
        fading = true;
        back.z = 1;
        front.z = 0;
        back.opacity = 0;
        back.start();
        fade.target = back;
        fade.restart();
    }

    function finishFade() {
        if (!fading)
            return;
        fading = false;
        fade.stop();
        const shown = back;
        shown.opacity = 1;
        front.opacity = 0;
        front.clear();
        back = front;
        front = shown;
        stage.transitionFinished();
        // A clip shorter than the fade ended while it was still fading in.
        front.reportEnding();
        if (pendingPrepare !== null) {
            const next = pendingPrepare;
            pendingPrepare = null;
            back.show(next, false);
        }
    }

    function onLayerLoaded(layer) {
        if (layer === back && layer.revealing)
            startFade();
    }

    function onLayerBroken(layer, url) {
        if (layer === back)
            stage.slideFailed(url);
    }

    // Only the slide that fills the screen may end its turn early.
    function onLayerEnded(layer, itemId) {
        if (layer === front && !fading)
            stage.slideEnded(itemId);
    }

    Theme {
        id: screenTheme
        unit: Math.min(root.width, root.height) / 1080
        portrait: root.height > root.width
        fontFamily: root.stage.fontFamily
    }

    Item {
        id: slideArea
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: footer.top }
        clip: true

        SlideLayer {
            id: first
            anchors.fill: parent
            theme: screenTheme
            fadeMs: root.stage.fadeMs
            opacity: 0
            onLoaded: root.onLayerLoaded(first)
            onBroken: url => root.onLayerBroken(first, url)
            onEnded: itemId => root.onLayerEnded(first, itemId)
        }

        SlideLayer {
            id: second
            anchors.fill: parent
            theme: screenTheme
            fadeMs: root.stage.fadeMs
            opacity: 0
            onLoaded: root.onLayerLoaded(second)
            onBroken: url => root.onLayerBroken(second, url)
            onEnded: itemId => root.onLayerEnded(second, itemId)
        }
    }

    NumberAnimation {
        id: fade
        property: "opacity"
        from: 0
        to: 1
        duration: root.stage.fadeMs
        easing.type: Easing.InOutQuad
        onFinished: root.finishFade()
    }

    Footer {
        id: footer
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: screenTheme.footerHeight
        theme: screenTheme
        locationName: root.stage.locationName
        clockText: root.stage.clockText
    }

    // Outside opening hours the display is switched off; where no command can do that, the
    // screen goes black instead, and a clip on it stops.
    Rectangle {
        objectName: "blackout"
        anchors.fill: parent
        z: 10
        visible: root.stage.blanked
        color: "black"
        onVisibleChanged: root.front.setRunning(!visible)
    }

    Connections {
        target: root.stage

        function onPresentRequested(slideView) { root.present(slideView); }
        function onPrepareRequested(slideView) { root.prepare(slideView); }
    }
}
