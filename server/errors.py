"""The domain errors that services raise and the API turns into HTTP answers.

    AnslagError                  anything Anslag refuses to do, with a message saying why
     ├── NotFound                a location, screen, asset … that does not exist      (404)
     ├── AlreadyExists           a unique name (a location's slug …) is taken         (409)
     ├── InvalidDeviceToken      no bearer token, or one no screen holds              (401)
     ├── InvalidRequest          the request itself is malformed (a bad sha256 …)     (400)
     └── InvalidContent          content that cannot be shown: not an image, a title  (422)
                                 that is too long, a validity that ends before it starts

Services raise these and never know about HTTP; `server.api.errors` maps them to
status codes in one place.
"""


class AnslagError(Exception):
    """Something Anslag refuses to do; the message is shown to whoever asked."""


class NotFound(AnslagError):
    """A thing that was asked for by name, id or hash does not exist."""


class AlreadyExists(AnslagError):
    """A thing cannot be created because its unique name is taken."""


class InvalidDeviceToken(AnslagError):
    """A device request without a bearer token, or with one that no screen holds."""


class InvalidRequest(AnslagError):
    """A request that is malformed in itself, whatever is stored."""


class InvalidContent(AnslagError):
    """Content that cannot be stored because no screen could show it."""
