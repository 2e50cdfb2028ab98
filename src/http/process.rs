//! This process's own figures for `/metrics`, read from `/proc` at each scrape: resident
//! memory, CPU time and open file descriptors (zero where `/proc` is not there).

/// What one scrape read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProcessStats {
    pub resident_bytes: i64,
    pub cpu_seconds: f64,
    pub open_fds: i64,
}

impl ProcessStats {
    pub fn read() -> ProcessStats {
        let (cpu_seconds, resident_bytes) = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|stat| parse_stat(&stat, clock_ticks(), page_size()))
            .unwrap_or_default();
        let open_fds = std::fs::read_dir("/proc/self/fd")
            .map(|dir| dir.count() as i64)
            .unwrap_or_default();
        ProcessStats {
            resident_bytes,
            cpu_seconds,
            open_fds,
        }
    }
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf only reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

fn page_size() -> i64 {
    // SAFETY: as above.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if size > 0 { size as i64 } else { 4096 }
}

/// CPU seconds (user + system) and resident bytes from a `/proc/<pid>/stat` line. The command
/// name in parentheses may hold spaces, so fields are counted after its closing parenthesis.
fn parse_stat(stat: &str, ticks_per_second: f64, page_size: i64) -> Option<(f64, i64)> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3 of the line, utime 14, stime 15, rss 24.
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<i64>().ok());
    let cpu_ticks = field(14)? + field(15)?;
    Some((cpu_ticks as f64 / ticks_per_second, field(24)? * page_size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        let line = "4242 (care erhub) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 50 0 0 20 0 12 0 \
                    777 123456789 3000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assert_eq!(parse_stat(line, 100.0, 4096), Some((3.0, 3000 * 4096)));
        assert_eq!(parse_stat("garbage", 100.0, 4096), None);
    }

    #[test]
    fn this_process_has_memory_and_files_open() {
        let stats = ProcessStats::read();
        assert!(stats.resident_bytes > 0 && stats.open_fds > 0, "{stats:?}");
    }
}
