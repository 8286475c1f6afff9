"""Public pages: authorisation results and agreements in force (public terms only)."""

from __future__ import annotations

from django.shortcuts import render

from operations import selectors


def index(request):
    context = {
        "schemes": selectors.published_schemes().prefetch_related(
            "scope", "scenarios", "selection__selected__organisation"
        ),
        "agreements": selectors.agreements_in_force().prefetch_related("resources", "scenarios"),
    }
    return render(request, "operations/public.html", context)
