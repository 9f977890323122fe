const DAY_MS = 86_400_000;

/** The day the last timestamp fell on, and its `YYYY-MM-DDT` as `toISOString` writes it. */
let dayStart = Number.NaN;
let dayPrefix = '';

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const threeDigits = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, five times cheaper: the date part is `toISOString`'s own,
 * made once a day, and the time of day is arithmetic. Every log line carries a timestamp, and
 * `toISOString` was 0.8 µs of a 7.7 µs warm /me (issue 16). A property test compares both over
 * the whole range of dates.
 */
export function isoTimestamp(ms: number): string {
  if (!(ms >= dayStart && ms < dayStart + DAY_MS)) {
    dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    const iso = new Date(dayStart).toISOString();
    dayPrefix = iso.slice(0, iso.indexOf('T') + 1);
  }
  let rest = ms - dayStart;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  rest -= seconds * 1000;
  return `${dayPrefix}${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${threeDigits(rest)}Z`;
}
