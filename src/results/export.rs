//! Sheets of a round's responses and of its summaries, for CSV and XLSX. (helper D)
