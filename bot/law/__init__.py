"""The law's date maths: dates as parents type them, the statutory deadlines, calendar files. Pure, no I/O."""
