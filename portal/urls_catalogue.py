from django.urls import path

from portal.views import catalogue

urlpatterns = [
    path("", catalogue.home, name="home"),
]
