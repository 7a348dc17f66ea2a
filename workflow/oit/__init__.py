"""The OIT board: per assessment year, every OIT item of the year's catalogue with its owner, due
date, evidence URLs and status, and the public addresses of the product's own published memos.

board      reading a year's board: item rows, statuses, readiness (the one definition of each)
items      changing it: owners and due dates, evidence, the check, copying last year's board
publish    publishing an approved memo at /p/<slug>/<year>/<item>, retracting it, finding it
export     the board as an Excel workbook
"""
