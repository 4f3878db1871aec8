"""icp-audit's application layer: it wires rules, storage and reports into one audit.

Data flow of one audit (one direction, see DESIGN.md §2):

    profile (config.py) → frontier (frontier.py, urls.py) → fetch (fetch.py, async httpx)
      → FetchResult → extract (extract.py, selectolax Lexbor; pure) → PageFacts
      → rules (rules.judge) → verdict + findings → storage (batches while crawling)
      → reports (reports.render_run) → files under --out

`audit.run_audit` is the one orchestrator; the CLI (`cli.py`) and the scheduler (`schedule.py`) call it.
Every request passes the run's gate (`gate.py`: excludes, each origin's robots.txt read first), and
`judge_page.py` judges each fetched page with its style sheets, frames and, where needed, the browser.
Extraction and the rules run in the same function, `judging.judge_html`, either in the crawler's
event loop or in judging processes (`judge_pool.py` → `judge_worker.py`) on the machine's other cores.
"""

__version__ = "0.1.0"
