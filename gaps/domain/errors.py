"""Domain errors: raised by rules and services, turned into responses at one edge."""


class DomainError(Exception):
    """Base of every error a user can cause; its message is shown to them as it is."""

    status_code = 422
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(DomainError):
    """A value breaks a rule of the domain (422)."""


class InvalidTransition(DomainError):
    """A status change the rules do not allow (422)."""

    code = "invalid_transition"


class NotAllowed(DomainError):
    """The user's role may not do this (403)."""

    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist, or the user may not know it exists (404)."""

    status_code = 404
    code = "not_found"


class StaleVersion(DomainError):
    """Someone else saved the object since it was loaded (409)."""

    status_code = 409
    code = "stale_version"

    def __init__(self, message: str, *, field: str | None = "version",
                 current_version: int | None = None) -> None:
        super().__init__(message, field=field)
        self.current_version = current_version


class Conflict(DomainError):
    """The write clashes with existing data, such as a duplicate reference (409)."""

    status_code = 409
    code = "conflict"
