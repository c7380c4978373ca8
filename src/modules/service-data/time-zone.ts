/** Roll-up days are China-time calendar days. */
export const ROLLUP_TIME_ZONE = 'Asia/Shanghai';
