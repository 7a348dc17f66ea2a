"""What every page asks the browser to fetch besides itself."""

import re


def test_the_login_page_names_an_icon_that_is_served(client):
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert match, "no icon: every page asks the server for /favicon.ico and gets 404"
    with client.get(match.group(1)) as icon:
        assert icon.status_code == 200 and icon.data.startswith(b"<svg")
