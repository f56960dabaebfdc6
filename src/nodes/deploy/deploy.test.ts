import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointRef } from '../../data/types';
import { checkParam } from '../../engine/params';
import { runNode, setupCpuTf } from '../../ml/test-helpers';
import { isReferenceProfile } from '../../serving/reference';
import { deploy } from './deploy';
import { stores, trainBlobs } from './testing';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

describe('deploy.endpoint', () => {
  it('saves an unsaved model, deploys it live, and does not stack identical versions', async () => {
    const before = tf.memory().numTensors;
    const { models, endpoints } = stores();
    const model = await trainBlobs();
    expect(isReferenceProfile(model.artifact.reference)).toBe(true);
    expect(model.registryId).toBeUndefined();

    const first = (await runNode(deploy, { model }, { params: { name: 'blobs', note: ' first ' }, services: { models, endpoints } })).endpoint as EndpointRef;
    expect(first).toEqual({ name: 'blobs', version: 1 });
    expect(model.registryId).toBeDefined();
    expect((await models.list()).map((m) => m.id)).toEqual([model.registryId]);
    const meta = (await endpoints.get('blobs'))!;
    expect(meta.live).toBe(1);
    expect(meta.versions[0]).toMatchObject({ modelId: model.registryId, note: 'first' });

    const again = (await runNode(deploy, { model }, { params: { name: 'blobs' }, services: { models, endpoints } })).endpoint as EndpointRef;
    expect(again).toEqual({ name: 'blobs', version: 1 });
    expect((await models.list()).length).toBe(1);

    const retrained = await trainBlobs(7);
    const second = (await runNode(deploy, { model: retrained }, { params: { name: 'blobs' }, services: { models, endpoints } })).endpoint as EndpointRef;
    expect(second).toEqual({ name: 'blobs', version: 2 });
    expect((await endpoints.get('blobs'))!.previous).toEqual([1]);
    expect(deploy.summarize!({ endpoint: second } as never, {} as never).text).toBe('live: /api/endpoints/blobs v2');

    model.dispose();
    retrained.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad endpoint names at validation and at run time, and runs without stores fail clearly', async () => {
    expect(checkParam(deploy.params.name, 'iris-v2')).toBeNull();
    expect(checkParam(deploy.params.name, 'Iris v2')).toMatch(/does not match/);
    const { models, endpoints } = stores();
    const model = await trainBlobs();
    await expect(runNode(deploy, { model }, { params: { name: 'Bad/Name' }, services: { models, endpoints } })).rejects.toThrow(/not a valid endpoint name/);
    await expect(runNode(deploy, { model }, { params: { name: 'ok' }, services: { models } })).rejects.toThrow(/no endpoint store/);
    await expect(runNode(deploy, { model }, { params: { name: 'ok' }, services: { endpoints } })).rejects.toThrow(/no store to save it to/);
    model.dispose();
  });
});
