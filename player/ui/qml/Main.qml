// The player's scene: two slide layers that cross-fade, the ticker and the footer strip below
// them, and the alerts over them: a banner over the slides' lower part, or the whole screen.
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
    // Nobody sees the slides: a clip on them holds still.
    readonly property bool slidesCovered: stage.blanked || alertCard.covering

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

    // A new alert page: the card or banner that shows it takes it (the other keeps its last
    // page while it fades out).
    function takeAlert() {
        const view = stage.alert;
        if (view.layout === "fullscreen")
            alertCard.view = view;
        else if (view.layout === "banner")
            alertBanner.view = view;
        reportAlerts();
    }

    // Tells Python which alert is wholly in view, once it is (not while the screen is black).
    function reportAlerts() {
        if (stage.blanked)
            return;
        for (const shown of [alertCard, alertBanner]) {
            if (shown.wanted && shown.opacity === 1 && shown.view !== null)
                stage.alertShown(shown.view.alertId, shown.view.version);
        }
    }

    onSlidesCoveredChanged: front.setRunning(!slidesCovered)

    Theme {
        id: screenTheme
        unit: Math.min(root.width, root.height) / 1080
        portrait: root.height > root.width
        fontFamily: root.stage.fontFamily
    }

    Item {
        id: slideArea
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: ticker.top }
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

    AlertBanner {
        id: alertBanner
        objectName: "alertBanner"
        readonly property bool wanted: root.stage.alert.layout === "banner" && !alertCard.wanted
        anchors { left: slideArea.left; right: slideArea.right; bottom: slideArea.bottom }
        height: screenTheme.bannerHeight
        z: 2
        theme: screenTheme
        opacity: wanted ? 1 : 0
        visible: opacity > 0
        onOpacityChanged: if (opacity === 1) root.reportAlerts()

        Behavior on opacity { NumberAnimation { duration: root.stage.fadeMs / 2 } }
    }

    Ticker {
        id: ticker
        objectName: "ticker"
        anchors { left: parent.left; right: parent.right; bottom: footer.top }
        height: texts.length > 0 ? screenTheme.tickerHeight : 0
        visible: height > 0 && !alertCard.covering
        theme: screenTheme
        texts: root.stage.ticker
    }

    Footer {
        id: footer
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: screenTheme.footerHeight
        theme: screenTheme
        locationName: root.stage.locationName
        clockText: root.stage.clockText
    }

    AlertCard {
        id: alertCard
        objectName: "alertCard"
        readonly property bool wanted: root.stage.alert.layout === "fullscreen"
        // Wholly in view: what lies below cannot be seen.
        readonly property bool covering: wanted && opacity === 1
        anchors.fill: parent
        z: 5
        theme: screenTheme
        opacity: wanted ? 1 : 0
        visible: opacity > 0
        onOpacityChanged: if (opacity === 1) root.reportAlerts()

        Behavior on opacity { NumberAnimation { duration: root.stage.fadeMs / 2 } }
    }

    // Outside opening hours the display is switched off; where no command can do that, the
    // screen goes black instead, and a clip on it stops.
    Rectangle {
        objectName: "blackout"
        anchors.fill: parent
        z: 10
        visible: root.stage.blanked
        color: "black"
    }

    Connections {
        target: root.stage

        function onPresentRequested(slideView) { root.present(slideView); }
        function onPrepareRequested(slideView) { root.prepare(slideView); }
        function onAlertChanged() { root.takeAlert(); }
        function onBlankedChanged() { root.reportAlerts(); }
    }
}
