# An independent reader of the PyG files `npm run export -- --to pyg` writes: CPython's own zipfile and pickle
# (not our code) read torch.save's layout, with stand-ins for the torch / torch_geometric classes the pickle
# names, and numpy for the storages. Prints a JSON summary of every field (dtype, shape, values) and the checks
# acorn's loader relies on. Usage: python3 read_pyg.py FILE
import collections, io, json, pickle, sys, zipfile
import numpy as np

path = sys.argv[1]
z = zipfile.ZipFile(path)
names = z.namelist()
top = {n.split('/')[0] for n in names}
assert len(top) == 1, f'one top-level folder expected, got {top}'
root = top.pop()
assert z.read(f'{root}/byteorder') == b'little'
assert z.read(f'{root}/version').strip() == b'3'
for info in z.infolist():
    assert info.compress_type == zipfile.ZIP_STORED, info.filename
raw = open(path, 'rb').read()
for info in z.infolist():
    n, e = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], 'little'), int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], 'little')
    assert (info.header_offset + 30 + n + e) % 64 == 0, f'{info.filename} not 64-byte aligned'

DTYPES = {'FloatStorage': np.float32, 'DoubleStorage': np.float64, 'LongStorage': np.int64, 'IntStorage': np.int32, 'ByteStorage': np.uint8, 'BoolStorage': np.bool_}

class Storage:
    def __init__(self, name): self.name = name

def rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks):
    a = np.lib.stride_tricks.as_strided(storage[offset:], shape=size, strides=[s * storage.itemsize for s in stride])
    return np.array(a)

class Data:
    def __setstate__(self, state): self.__dict__.update(state)

class GlobalStorage:
    def __setstate__(self, state): self.__dict__.update(state)

class Reader(pickle.Unpickler):
    def find_class(self, module, name):
        allowed = {('torch._utils', '_rebuild_tensor_v2'): rebuild_tensor_v2, ('collections', 'OrderedDict'): collections.OrderedDict,
                   ('torch_geometric.data.data', 'Data'): Data, ('torch_geometric.data.storage', 'GlobalStorage'): GlobalStorage}
        if (module, name) in allowed: return allowed[(module, name)]
        if module == 'torch' and name in DTYPES: return Storage(name)
        raise pickle.UnpicklingError(f'unexpected global {module}.{name}')
    def persistent_load(self, pid):
        kind, storage, key, location, numel = pid
        assert kind == 'storage' and location == 'cpu'
        a = np.frombuffer(z.read(f'{root}/data/{key}'), dtype=DTYPES[storage.name])
        assert a.size == numel, (key, a.size, numel)
        return a

data = Reader(io.BytesIO(z.read(f'{root}/data.pkl'))).load()
assert isinstance(data, Data) and isinstance(data._store, GlobalStorage) and data._store._parent is data
m = data._store._mapping

def summary(v):
    if isinstance(v, np.ndarray):
        return {'dtype': str(v.dtype), 'shape': list(v.shape), 'values': v.tolist()}
    return v

checks = {}
ei, te, tm = m['edge_index'], m.get('track_edges'), m.get('truth_map')
n = m['hit_id'].shape[0]
checks['edge_index_in_range'] = bool(ei.size == 0 or (ei.min() >= 0 and ei.max() < n))
checks['hit_id_sorted_unique'] = bool(np.all(np.diff(m['hit_id']) > 0))
if te is not None:
    ok = True
    for j in np.nonzero(tm >= 0)[0]:
        a, b = ei[:, tm[j]]
        ok &= {int(a), int(b)} == {int(te[0, j]), int(te[1, j])}
    checks['truth_map_matches_track_edges'] = bool(ok)
    mapped = tm[tm >= 0]
    checks['mapped_track_edges_are_true_edges'] = bool(mapped.size > 0 and np.all(m['y'][mapped]))
print(json.dumps({'keys': sorted(m.keys()), 'fields': {k: summary(v) for k, v in m.items()}, 'checks': checks}))
