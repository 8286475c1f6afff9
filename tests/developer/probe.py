"""A minimal API view wired the way the datastore views use the access layer, so the HTTP
behaviour (status, problem+json body, headers) is tested end to end. Test-only URLconf."""

from __future__ import annotations

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.developer.access import (
    KeyInUrl,
    KeyRefused,
    KeyScopeRefused,
    QuotaExceeded,
    RateLimited,
    RequestReplayed,
    authenticate_request,
    check_key_scope,
    metered_call,
    problem_for,
)
from portal.models import Dataset

ACCESS_ERRORS = (KeyInUrl, KeyRefused, KeyScopeRefused, RateLimited, QuotaExceeded, RequestReplayed)


class Probe(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request, slug):
        try:
            key = authenticate_request(request)
            dataset = Dataset.objects.get(slug=slug)
            check_key_scope(key=key, dataset=dataset)
            user = key.user if key else request.user
            with metered_call(request=request, key=key, user=user, dataset=dataset) as meter:
                body = {"records": [{"a": 1}, {"a": 2}]}
                meter.rows, meter.bytes = 2, 24
        except ACCESS_ERRORS as exc:
            return problem_for(exc)
        return Response(body, headers=meter.headers)


urlpatterns = [path("probe/<slug:slug>/records", Probe.as_view())]
