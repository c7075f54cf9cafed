import { getOctokit } from '@actions/github';
import { errorMessage } from '../../shared/src/errors.ts';
import type { CodeScanningApi, CodeScanningStatus } from './upload.ts';

/**
 * Asks GitHub's code-scanning API, with the workflow's token, whether code scanning is
 * enabled: GET /repos/{owner}/{repo}/code-scanning/analyses (one analysis at most).
 * 200, and 404 "no analysis found", mean enabled; 403 naming Advanced Security or code
 * scanning means not enabled, the answer upload-sarif would get. Anything else is
 * "unknown" with what GitHub said. Loaded only for private repositories (its chunk
 * carries Octokit).
 */
const NOT_ENABLED =
  /advanced security must be enabled|code scanning is not enabled|code security must be enabled/i;

export function createCodeScanningApi(token: string, baseUrl: string): CodeScanningApi {
  const octokit = getOctokit(token, { baseUrl });
  return {
    async status(owner, repo): Promise<CodeScanningStatus> {
      try {
        await octokit.request('GET /repos/{owner}/{repo}/code-scanning/analyses', {
          owner,
          repo,
          per_page: 1,
        });
        return { state: 'enabled' };
      } catch (error) {
        const status = (error as { status?: number }).status;
        const message = errorMessage(error);
        if (status === 404 && /no analysis found/i.test(message)) return { state: 'enabled' };
        if (status === 403 && NOT_ENABLED.test(message)) return { state: 'disabled', message };
        return {
          state: 'unknown',
          message: status ? `HTTP ${status}: ${message}` : message,
        };
      }
    },
  };
}
