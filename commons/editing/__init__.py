"""Co-editing the commons: who may do what, the cross-review, and the site's sections.

- `roles`: groups and page permissions (the groups come from migration 0003)
- `workflows`: the cross-review task (a model, registered through `commons.models`)
- `workflow_actions`: what an approved review does (publish)
- `notifications`: review e-mails to the reviewers who may act
- `admin_filters`: filters of the admin listings of fiches
- `site_tree`: the home page and one section per registered fiche type, with their permissions
- `demo_users`: demo accounts for trying the review locally

The public history of published versions is `commons.history`.
"""

__all__ = [
    "admin_filters",
    "demo_users",
    "notifications",
    "roles",
    "site_tree",
    "workflow_actions",
    "workflows",
]
