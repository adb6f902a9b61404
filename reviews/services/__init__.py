"""Every write to the editorial model goes through this package.

One module per entity; each service is a function ``<entity>_<action>(*, …, actor)``,
atomic, guarded, and attributing its history rows to ``actor`` with a reason:

- ``articles``: take articles in (one orchestrator for single ingest, new versions and bulk
  import: prepare outside the transaction, then store through one path);
- ``revisions``: a new version's claims re-anchored (unchanged, stale, withdrawn, new);
- ``claims``: assign, schedule, start, dismiss, correct check-worthiness;
- ``claim_edits``: split, merge, narrow a claim;
- ``verdicts``: submit, approve, return; the evidence a verdict cites;
- ``flags``: raise (from the newsroom's ``RuleBook``), resolve, reflag; change a rule;
- ``matches``: claim matching (the term index, proposals in two tiers, decisions, reuse);
- ``publishing``: the public fact-check pages (publish, withdraw) and a claim's details;
- ``notes``: a claim's discussion, with @mentions;
- ``tokens``, ``webhooks``: API tokens; webhook endpoints and their signed deliveries;
- ``reference``: the newsroom's reference data edited in the admin (outlets, articles'
  details, ratings, party sources);
- ``workflow``: the claim workflow, declared once (what the services guard and every page
  offers); ``common``: the locked claim, e-mail on commit; ``history``: the attributed save;
  ``rows``: unsaved rows built from an analysis.

Modules are imported by name (``from reviews.services.claims import claim_assign``): this
package re-exports nothing, so importing one service never loads the others.
"""
