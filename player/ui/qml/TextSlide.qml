// A news or notice slide: title and body in the screen's languages, with a picture when given.
import QtQuick

StoryLayout {
    imageUrl: view.imageUrl
    texts: view.texts
}
