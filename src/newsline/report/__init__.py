"""Reports over stored records: timeline and actor views (rich renderables that fit the terminal width), the
situation brief (HTML/Markdown).

    timeline_rows(events, mentions, actor=, event_type=, since=, until=) -> [TimelineRow]; timeline_table(rows)
    actor_summaries(events, mentions) -> [ActorSummary]; actors_table(summaries)
    write_brief(out, events, mentions, articles, actors=) -> Path
"""

from newsline.report.actors import ActorSummary, actor_summaries, actors_table
from newsline.report.brief import build_brief, render_html, render_markdown, write_brief
from newsline.report.timeline import TimelineRow, filter_events, timeline_rows, timeline_table

__all__ = ["ActorSummary", "actor_summaries", "actors_table", "build_brief", "render_html", "render_markdown",
           "write_brief", "TimelineRow", "filter_events", "timeline_rows", "timeline_table"]
