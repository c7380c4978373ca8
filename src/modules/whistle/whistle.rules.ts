/** Default hours a called department has to report (报到) and to feed back (反馈). */
export const DEFAULT_REPORT_HOURS = 24;
export const DEFAULT_FEEDBACK_HOURS = 72;
/** Who may blow a whistle: a community, or a street ("街乡吹哨"). */
export const WHISTLE_BLOWER_TYPES = ['Community', 'Street'];
export const MAX_RECIPIENTS = 20;
