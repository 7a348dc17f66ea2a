"""The official document: the memo as a PDF in the Thai government format, frozen at approval."""
