/** Serves project images to the renderer by id as `roundtrip-media://media/<kind>/<id>`. */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from '../../shared/contract/channels.js';
import type { Backend } from '../backend/backend.js';
import { mediaKeyOf, parseMediaPath } from '../backend/media/media-service.js';

/** The scheme is registered as privileged with the app's own in schemes.ts. */
export function handleMediaProtocol(backend: Backend): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const target = parseMediaPath(`/${url.host}${url.pathname}`);
    const file = target && (await backend.media.resolve(target.kind, target.imageId, mediaKeyOf(url)));
    if (!file) return new Response('No such image in the open project', { status: 404 });
    if ('refused' in file) return new Response(file.refused, { status: 409 });
    const response = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(response.body, { headers: { 'Content-Type': file.contentType, 'Cache-Control': 'private, max-age=3600' } });
  });
}
