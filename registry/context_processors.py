from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

# The default name is a msgid so that the English catalogue names the platform; a deployment's
# own PLATFORM_NAME is shown as configured unless the catalogue translates it too.
DEFAULT_PLATFORM_NAME = gettext_noop("公共数据资源登记与开放平台")


def platform(request: HttpRequest) -> dict:
    roles = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from registry.selectors import roles_of

        roles = roles_of(user)
    return {
        "PLATFORM_NAME": gettext(settings.PLATFORM_NAME) if settings.PLATFORM_NAME else "",
        "user_roles": roles,
        "FEDERATION_ROLE": settings.FEDERATION_ROLE,
    }
