/**
 * The CronJob controller (batch/v1). Entry: {@link
 * io.capstan.controllers.cronjob.CronJobReconciler#controller}. Its pass reads top to bottom in
 * {@code CronJobReconciler.reconcile}: track the active jobs, start the job that is due, delete
 * finished jobs beyond the history limits, write status. Beside it, pure: {@link
 * io.capstan.controllers.cronjob.CronSchedule} (the cron parser and next times), {@link
 * io.capstan.controllers.cronjob.MissedSchedules} (which times passed without a job), {@code
 * CronJobJobs} (the job built for a time, history), {@code CronJobState} (the status edited).
 * Depends on the runtime and meta packages and the API only.
 */
package io.capstan.controllers.cronjob;
