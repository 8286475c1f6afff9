"""Interaction API under /api/v1/portal/interaction/: data requests and support, error reports,
suggestions and complaints with public replies, ratings, comments and abuse reports,
moderation, showcases and the reply-timeliness statistics. Reading is public (authors are not
shown); writing needs a login. Status, reply and moderation fields are never writable by the
author (400 naming them); answering outside one's scope is 404; illegal transitions are 409."""
