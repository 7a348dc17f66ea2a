"""Search over memos, reports and measures: the query, the lists' filters, ranked results with
the matching words marked."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from forms.search import SearchForm
from search import search as run_search
from views.lists import filter_form

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
@login_required
def index():
    form = filter_form(documents=True, measures=True, form_class=SearchForm)
    results = None
    if form.q.data and form.q.validate(form):
        page = request.args.get("page", 1, type=int) or 1
        results = run_search(current_user, form.q.data, form.filters(), page)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("search/index.html", form=form, results=results, query=query)
