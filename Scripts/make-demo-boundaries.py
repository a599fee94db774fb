# Run from shared/data/boundaries/sdn: python3 make-demo-boundaries.py 0.01 (writes Sources/App/Resources/Demo/).
# Makes the small demo boundary files: Douglas-Peucker per ring, halving the tolerance until the
# ring no longer touches itself (the importer refuses self-intersecting rings).
import json, math, sys
def dp(pts, tol):
    if len(pts) < 5: return pts
    keep=[False]*len(pts); keep[0]=keep[-1]=True
    stack=[(0,len(pts)-1)]
    while stack:
        a,b=stack.pop()
        ax,ay=pts[a]; bx,by=pts[b]; dx,dy=bx-ax,by-ay; L=math.hypot(dx,dy)
        best=-1; bi=-1
        for i in range(a+1,b):
            px,py=pts[i]
            d = math.hypot(px-ax,py-ay) if L==0 else abs(dy*px-dx*py+bx*ay-by*ax)/L
            if d>best: best=d; bi=i
        if best>tol: keep[bi]=True; stack+= [(a,bi),(bi,b)]
    out=[p for p,k in zip(pts,keep) if k]
    return out if len(out)>=4 else pts
def orient(a,b,c): return (b[0]-a[0])*(c[1]-a[1])-(b[1]-a[1])*(c[0]-a[0])
def inter(p1,p2,p3,p4):
    d1=orient(p3,p4,p1); d2=orient(p3,p4,p2); d3=orient(p1,p2,p3); d4=orient(p1,p2,p4)
    if ((d1>0)!=(d2>0) or d1==0 or d2==0) and ((d3>0)!=(d4>0) or d3==0 or d4==0):
        if d1==0 and d2==0: return min(p1[0],p2[0])<=max(p3[0],p4[0]) and min(p3[0],p4[0])<=max(p1[0],p2[0]) and min(p1[1],p2[1])<=max(p3[1],p4[1]) and min(p3[1],p4[1])<=max(p1[1],p2[1])
        return True
    return False
def valid(r):
    n=len(r)-1
    segs=[(r[i],r[i+1]) for i in range(n)]
    boxes=[(min(a[0],b[0]),max(a[0],b[0]),min(a[1],b[1]),max(a[1],b[1])) for a,b in segs]
    order=sorted(range(n),key=lambda i:boxes[i][0])
    for ii,i in enumerate(order):
        for j in order[ii+1:]:
            if boxes[j][0]>boxes[i][1]: break
            if abs(i-j)<=1 or (i==0 and j==n-1) or (j==0 and i==n-1): continue
            if boxes[j][2]>boxes[i][3] or boxes[i][2]>boxes[j][3]: continue
            if inter(segs[i][0],segs[i][1],segs[j][0],segs[j][1]): return False
    return True
def simp(r,tol):
    while tol>1e-6:
        s=dp(r,tol)
        if valid(s): return s
        tol/=2
    return r
tol=float(sys.argv[1])
for src,dst in [('sdn_admin0.geojson','sdn_admin0_demo.geojson'),('sdn_admin1.geojson','sdn_admin1_demo.geojson')]:
    d=json.load(open(src))
    for f in d['features']:
        g=f['geometry']
        if g['type']=='Polygon': g['coordinates']=[simp(r,tol) for r in g['coordinates']]
        else: g['coordinates']=[[simp(r,tol) for r in p] for p in g['coordinates']]
        f['properties']={k:v for k,v in f['properties'].items() if k.startswith('adm') or k.startswith('lang')}
    d['name']=dst
    s=json.dumps(d,ensure_ascii=False,separators=(',',':'))
    open(__import__('os').path.join(__import__('os').path.dirname(__file__), '../Sources/App/Resources/Demo/')+dst,'w').write(s)
    print(tol,dst,len(s))
