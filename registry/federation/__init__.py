"""Federation between deployments (两级架构、互联互通、统一赋码).

One code base runs as a single deployment (the default: national and provincial platforms in
one database), as the national node, or as a provincial node. A provincial node writes every
registration event the national level must know into an outbox in the same transaction as the
change (`outbox`), and a thin Celery task delivers it, signed, in sequence order (`delivery`).
The national node verifies, applies and confirms the unified code (`inbound`), can pull a
node's changes when pushes stall (`pull`), reconciles counts and digests (`reconcile`) and hands
records of a province that goes live over to its node (`handover`). See docs/federation.md.
"""
