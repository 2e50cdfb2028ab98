#!/usr/bin/env bash
# Regenerates the resume fixtures in tests/fixtures from resume.html with real producers:
# LibreOffice (DOCX, and a PDF from that DOCX) and Chromium (PDFs). Needs Debian's
# libreoffice-writer-nogui and chromium. The committed files are what the tests read.
set -euo pipefail
cd "$(dirname "$0")/../tests/fixtures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"

soffice --headless --convert-to docx:"MS Word 2007 XML" resume.html --outdir "$work" >/dev/null
cp "$work/resume.docx" resume.docx
soffice --headless --convert-to pdf resume.docx --outdir "$work" >/dev/null
cp "$work/resume.pdf" resume-libreoffice.pdf

chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/chromium" --no-pdf-header-footer --print-to-pdf="$1" "$2" 2>/dev/null
}
chrome resume-chromium.pdf "file://$PWD/resume.html"

# A two-page resume for the PDF benchmark: the same page with eleven projects added.
python3 - "$work/resume-2page.html" <<'PY'
import sys
page = open("resume.html").read()
projects = "".join(
    f"<h3>Project {i}: Service {i}</h3><ul>"
    f"<li>Built a Python and Django service {i} on PostgreSQL handling {i}00k requests per day.</li>"
    f"<li>Reduced infrastructure cost by {i * 3}% with Docker, Kubernetes and AWS autoscaling.</li>"
    f"<li>Mentored {i} engineers and owned the on-call rotation for the team.</li></ul>"
    for i in range(1, 12)
)
open(sys.argv[1], "w").write(page.replace("<h2>Skills</h2>", "<h2>Projects</h2>" + projects + "<h2>Skills</h2>"))
PY
chrome resume-2page.pdf "file://$work/resume-2page.html"
ls -l resume.docx resume-libreoffice.pdf resume-chromium.pdf resume-2page.pdf
