"""The account pages of this app: the list, the account itself, its plans, team and contacts.

The workspace shell around them (head, tabs, form and confirm pages) is core.pages;
pages that combine several apps (overview, team and contact tabs, history) are
the workspace app's.
"""
