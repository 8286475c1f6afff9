"""Demo data for `manage.py load_demo`: realistic Chinese organisations, accounts and
registrations in every workflow state, built through the registry services so that events,
deadlines, codes and versions are the real ones.

- `organisations`: the organisation table, platforms not yet live, accounts and roles;
- `catalogue`: the data resources and the workflow state each one is taken to;
- `timeline`: moments in the past measured in working days, so deadlines look natural today;
- `flows`: drive one registration to its target state through the services;
- `documents`: small valid PDF attachments generated in code;
- `loader`: the whole load, idempotent, in one transaction.
"""
