-- The schema the first icp-audit (commit ea08ece) created in SQLite, as sqlite_master holds it: revision 0001.
CREATE TABLE runs (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	site VARCHAR(255) NOT NULL,
	status VARCHAR(16) NOT NULL,
	"trigger" VARCHAR(16) NOT NULL,
	tool_version VARCHAR(64) NOT NULL,
	started_at DATETIME NOT NULL,
	finished_at DATETIME,
	today DATE NOT NULL,
	error TEXT,
	licence_number VARCHAR(64) NOT NULL,
	licence_holder TEXT NOT NULL,
	licence_valid_until DATE NOT NULL,
	licence_issued DATE,
	licence_renewed_until DATE,
	licence_domains TEXT NOT NULL,
	licence_excluded_services TEXT NOT NULL
);
CREATE INDEX ix_runs_site ON runs (site);
CREATE TABLE pages (
	id INTEGER NOT NULL,
	run_id INTEGER NOT NULL,
	url TEXT NOT NULL,
	final_url TEXT,
	status INTEGER,
	content_type TEXT,
	depth INTEGER NOT NULL,
	verdict VARCHAR(20) NOT NULL,
	footer_found BOOLEAN NOT NULL,
	footer_text TEXT NOT NULL,
	is_homepage BOOLEAN NOT NULL,
	numbers TEXT NOT NULL,
	error TEXT,
	redirects TEXT NOT NULL,
	size INTEGER,
	elapsed_ms INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX ix_pages_run_id ON pages (run_id);
CREATE TABLE findings (
	id INTEGER NOT NULL,
	run_id INTEGER NOT NULL,
	page_id INTEGER,
	rule VARCHAR(32) NOT NULL,
	severity VARCHAR(16) NOT NULL,
	message TEXT NOT NULL,
	evidence TEXT NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE,
	FOREIGN KEY(page_id) REFERENCES pages (id) ON DELETE CASCADE
);
CREATE INDEX ix_findings_run_id ON findings (run_id);
