"""The domain errors that services raise and the API turns into HTTP answers.

    AnslagError                  anything Anslag refuses to do, with a message saying why
     ├── NotFound                a location, screen, asset … that does not exist      (404)
     ├── AlreadyExists           a unique name (a location's slug …) is taken         (409)
     ├── InvalidDeviceToken      no bearer token, or one no screen holds              (401)
     ├── InvalidCredentials      a wrong username or password, or no valid session    (401)
     ├── TooManyAttempts         logins refused for a while after repeated failures   (429)
     ├── Forbidden               a logged-in user or API token whose role may not     (403)
     ├── Conflict                the change clashes with what is stored               (409)
     │    ├── StaleEdit          someone else saved the thing since it was opened
     │    │    └── EditedMeanwhile
     │    └── InUse              a thing still used elsewhere cannot be deleted
     │         └── StillUsed
     ├── InvalidRequest          the request itself is malformed (a bad sha256 …)     (400)
     │    ├── WeakPassword       a new password too short to resist guessing
     │    └── TooLarge           a body over its endpoint's limit, read no further    (413)
     └── InvalidContent          content that cannot be shown: not an image, a title  (422)
          │                      that is too long, a validity that ends before it starts
          ├── Refused
          └── UnreadableDocument a fetched feed or CAP message that cannot be taken in
               ├── HostileDocument   a DTD, entity or external reference: refused unread
               ├── OversizedDocument more bytes than its limit; reading stopped there
               ├── WrongDocument     an HTML page, another XML vocabulary, not XML at all
               └── InvalidCap        a CAP alert without an element it must have

Services raise these and never know about HTTP; `server.api.errors` maps them to
status codes in one place. The classes that mix in `Explained` carry their message
as an English id and values, so the admin can show it in the reader's language.
"""


class AnslagError(Exception):
    """Something Anslag refuses to do; the message is shown to whoever asked."""


class NotFound(AnslagError):
    """A thing that was asked for by name, id or hash does not exist."""


class AlreadyExists(AnslagError):
    """A thing cannot be created because its unique name is taken."""


class InvalidDeviceToken(AnslagError):
    """A device request without a bearer token, or with one that no screen holds."""


class InvalidCredentials(AnslagError):
    """A login that failed, worded alike whether the username or the password was wrong."""


class TooManyAttempts(AnslagError):
    """Logins for a username or from an address are paused after repeated failures."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Forbidden(AnslagError):
    """Someone known, whose role does not allow what they asked for."""


class Conflict(AnslagError):
    """A change that clashes with what is stored now."""


class StaleEdit(Conflict):
    """A save based on an older version than the stored one: someone else saved in between."""


class InUse(Conflict):
    """A deletion refused because other things still use the thing; the message names them."""


class InvalidRequest(AnslagError):
    """A request that is malformed in itself, whatever is stored."""


class WeakPassword(InvalidRequest):
    """A new password that is too short."""

    def __init__(self, message: str, *, min_length: int) -> None:
        super().__init__(message)
        self.min_length = min_length


class InvalidContent(AnslagError):
    """Content that cannot be stored because no screen could show it."""


class Explained(Exception):
    """Mixed into an error the admin shows translated: the message is `message_id % values`.

    `message_id` is English (what the API answers) and is marked where it is written,
    so the catalogs hold its translations.
    """

    def __init__(self, message_id: str, /, **values: object) -> None:
        super().__init__(message_id % values if values else message_id)
        self.message_id = message_id
        self.values = values


class Refused(Explained, InvalidContent):
    """Content no screen could show, explained in words the admin translates."""


class StillUsed(Explained, InUse):
    """A deletion refused, naming what still uses the thing."""


class EditedMeanwhile(Explained, StaleEdit):
    """A save over someone else's newer change."""


class TooLarge(Explained, InvalidRequest):
    """An upload over the size limit; reading stopped at the limit and nothing was kept."""


class UnreadableDocument(InvalidContent):
    """A document fetched from a feed (an index or a CAP message) that cannot be taken in."""


class HostileDocument(UnreadableDocument):
    """XML with a document type, entities or external references: never expanded nor fetched."""


class OversizedDocument(UnreadableDocument):
    """A document larger than its limit; nothing past the limit was read."""


class WrongDocument(UnreadableDocument):
    """Something else where a CAP message or its index feed should be (an HTML error page …)."""


class InvalidCap(UnreadableDocument):
    """A CAP alert that lacks, or garbles, an element the standard requires."""
