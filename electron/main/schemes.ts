/**
 * The app's two custom schemes, registered as privileged before the app is ready. One call for
 * both: each call to registerSchemesAsPrivileged replaces the schemes an earlier call registered.
 */
import { protocol } from 'electron';
import { MEDIA_SCHEME } from '../../shared/contract/channels.js';
import { APP_SCHEME } from './app-origin.js';

export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: a real origin (relative URLs, 'self' in the CSP); secure: like https, not mixed content;
    // codeCache: V8 caches the renderer's scripts, as it would for file://.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}
