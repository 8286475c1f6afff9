from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    roles = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from registry.selectors import roles_of

        roles = roles_of(user)
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "user_roles": roles,
    }
