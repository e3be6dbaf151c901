"""The touchpoint pages, one module per part of the tab.

`plan`: the quarterly grid of touchpoints, its print and spreadsheet, and
the changes to it (add, edit, delete, mark done, roll forward).
`relationships`: the relationship plan, pairs of team member and contact.
`rhythm`: the team's meetings over the year.
`feeds`: my touchpoints across accounts, and the calendar feeds (an
account's .ics download, a person's secret calendar address).
`common`: the plan year from the address, and the grid's address.
"""
